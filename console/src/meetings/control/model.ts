/**
 * The chair's control model, shared with the server: one source of truth for the state's shape and for
 * which site each console shows in its main picture (contract/meetingControl.ts is pure, without imports).
 */
export { mainPictureFor, LAYOUTS } from '../../../../contract/meetingControl';
export type { Command, ControlState, Layout, ControlMode } from '../../../../contract/meetingControl';
