/**
 * Realtime fan-out: which socket.io room a console listens in, and who hears what. Every domain pushes
 * through here, so "to a unit and the units above it" is written once.
 */
import type { OrgTree } from '../org/tree.ts';

/** socket.io room of one unit: every console of that unit listens there. */
export const unitRoom = (code: string) => `unit:${code}`;

/** socket.io room of the sites inside one live meeting. */
export const meetingChannel = (id: string) => `meeting:${id}`;

/** The unit and every unit above it: who may see a report once it was sent. */
export const upChain = (tree: OrgTree, unitCode: string): string[] => [unitCode, ...tree.ancestors(unitCode).map((u) => u.code)];

/** The rooms of these units, each once. */
export const unitRooms = (units: Iterable<string>): string[] => [...new Set(units)].map(unitRoom);
