export { DEFAULT_TEAM, FakeSlack } from './fake-slack.ts';
export { signature } from './http-delivery.ts';
export type { InstallResult } from './oauth-install.ts';
export type { DropMode } from './socket-mode.ts';
export type {
  ButtonPressInput,
  FakeAck,
  FakeCall,
  FakeCompletion,
  FakeDelivery,
  FakeEphemeral,
  FakeSlackFile,
  FakeSlackMessage,
  FakeSlackOptions,
  FakeTeam,
  Interaction,
  ShareFileInput,
  SlashCommandInput,
  WorkflowStepInput,
} from './types.ts';
