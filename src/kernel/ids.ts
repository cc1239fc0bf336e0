import { randomBytes } from "node:crypto";

// Crockford base32, as in ULID: sortable as plain strings, no ambiguous letters.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
let lastTime = 0;
let lastRandom = new Uint8Array(10);

function encode(bytes: Uint8Array | number, length: number): string {
  let out = "";
  if (typeof bytes === "number") {
    let n = bytes;
    for (let i = 0; i < length; i++) {
      out = ALPHABET[n % 32] + out;
      n = Math.floor(n / 32);
    }
    return out;
  }
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.slice(0, length);
}

function nextRandom(): Uint8Array {
  const now = Date.now();
  if (now > lastTime) {
    lastTime = now;
    lastRandom = new Uint8Array(randomBytes(10));
  } else {
    // Same millisecond: increment so ids made by this process stay strictly increasing.
    for (let i = lastRandom.length - 1; i >= 0; i--) {
      lastRandom[i] = (lastRandom[i]! + 1) & 0xff;
      if (lastRandom[i] !== 0) break;
    }
  }
  return lastRandom;
}

/**
 * A prefixed, time-sortable id: a 48-bit millisecond timestamp and 80 random bits in base32.
 * @example newId("prod") // "prod_01JD8Q7Z3M6W2K9V4T1R5X8N0B"
 */
export function newId(prefix: string): string {
  const random = nextRandom();
  return `${prefix}_${encode(lastTime, 10)}${encode(random, 16)}`;
}

/**
 * Like newId, but with fresh random bits every time (no same-millisecond increment), so knowing
 * one id reveals nothing about another. For ids that grant access on their own: carts, guest orders.
 * @example newSecretId("cart") // "cart_01JD8Q7Z3M6W2K9V4T1R5X8N0B"
 */
export function newSecretId(prefix: string): string {
  return `${prefix}_${encode(Date.now(), 10)}${encode(new Uint8Array(randomBytes(10)), 16)}`;
}
