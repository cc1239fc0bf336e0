import type { EventHandler } from "../kernel/events.ts";

/** Every domain-event handler of every module, wired into the job runner at start-up. */
export const eventHandlers: EventHandler[] = [];
