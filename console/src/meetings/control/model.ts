/**
 * The chair's control model, shared with the server: one source of truth for the state's shape and for
 * which site each console shows in its main picture (server/meetings/control.ts is pure, without imports).
 */
export { mainPictureFor, LAYOUTS } from '../../../../server/meetings/control';
export type { Command, ControlState, Layout, ControlMode } from '../../../../server/meetings/control';
