// What a Rados handle tells its listeners about its connections (`rados.on('connection', fn)`):
// the monitor session it holds and loses (hunting, as MonClient::_reopen_session logs it),
// OSD sessions that reset (Objecter::ms_handle_reset: their ops go out again), and watches
// re-registered or lost for good (librados' watch error callback). Events only report; the
// handle recovers by itself either way.

/** A monitor session opened: at connect, and each time hunting finds a monitor again. */
export interface MonSessionEvent {
  /** Always 'mon-session'. */
  readonly type: 'mon-session';
  /** The monitor's address, "ip:port". */
  readonly mon: string;
  /** Our global id on that session (client.N). */
  readonly globalId: bigint;
}

/** The monitor session was lost; the handle hunts for a monitor until one answers. */
export interface MonHuntingEvent {
  /** Always 'mon-hunting'. */
  readonly type: 'mon-hunting';
  /** The monitor that was lost, "ip:port". */
  readonly mon: string;
  /** Why the session ended. */
  readonly reason: string;
}

/** A session with an OSD reset; its ops are sent again to wherever the map now puts them. */
export interface OsdSessionResetEvent {
  /** Always 'osd-session-reset'. */
  readonly type: 'osd-session-reset';
  /** The OSD id. */
  readonly osd: number;
  /** Why it ended, when known. */
  readonly reason?: string;
}

/** A watch the OSD no longer had was registered again (RECONNECT): notifies sent meanwhile may have been missed. */
export interface WatchReconnectedEvent {
  /** Always 'watch-reconnected'. */
  readonly type: 'watch-reconnected';
  /** The watch's cookie, as `IoCtx.watch` returned it. */
  readonly cookie: bigint;
  /** The pool id of the watched object. */
  readonly pool: number;
  /** The watched object's name. */
  readonly oid: string;
}

/** A watch was lost for good (its error callback is called with the same errno). */
export interface WatchLostEvent {
  /** Always 'watch-lost'. */
  readonly type: 'watch-lost';
  /** The watch's cookie. */
  readonly cookie: bigint;
  /** The pool id of the watched object. */
  readonly pool: number;
  /** The watched object's name. */
  readonly oid: string;
  /** The positive errno the watch ended with (ENOTCONN, EBLOCKLISTED, ETIMEDOUT, …); 0 when not an errno. */
  readonly errno: number;
}

/** One change in a handle's connections. */
export type ConnectionEvent = MonSessionEvent | MonHuntingEvent | OsdSessionResetEvent | WatchReconnectedEvent | WatchLostEvent;

/** The events of a Rados handle, by name, with their listeners' arguments. */
export interface RadosEvents {
  /** A change in the handle's monitor, OSD or watch sessions. */
  connection: [event: ConnectionEvent];
}
