// The part of the `compression` middleware's API the tests use (scripts/server.mjs installs it);
// @types/compression would pull in all of @types/express.
declare module "compression" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export default function compression(options?: { threshold?: number | string }): (
    req: IncomingMessage,
    res: ServerResponse,
    next: () => void,
  ) => void;
}
