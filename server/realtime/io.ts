/** The app's socket.io server and sockets, typed by the contract's event maps (contract/socket.ts). */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contract/socket.ts';
import type { SessionUser } from '../auth/sessions.ts';

/** What the io middleware (app.ts) attaches to every authenticated socket. */
export interface SocketData {
  user: SessionUser;
  sessionHash: string;
  expiresAt: number;
}

export type AppIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
