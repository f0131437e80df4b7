/** The socket.io server of the app (typed by the contract's event maps once they exist). */
import type { Server } from 'socket.io';

export type AppIo = Server;
