export const registerModuleRoutes = {
  store: async (_app: unknown) => {},
  admin: async (_app: unknown) => {},
};
