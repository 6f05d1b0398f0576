// Types of workerd's built-in module, for the worker entries under test/workerd.
declare module 'cloudflare:sockets' {
  import type { CfConnect } from './transport/cloudflare-transport.ts';
  export const connect: CfConnect;
}
