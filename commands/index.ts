// Commands as data: one file per command (the discord.js template's shape), the generic pieces in
// kit/. The text grammar, Discord's command JSON, the CLI's overlapping flags and admission's ranges
// are all derived from the definitions here.

export { queueViewText } from './answers/queue-view-text.ts';
export { scheduleAnswerText } from './answers/schedule-answer-text.ts';
export { settingsAnswerText } from './answers/settings-answer-text.ts';
export * from './kit/index.ts';
export {
  AUTO_QUALITY,
  VIDEO_OPTION_SHAPES,
  VIDEO_WITHOUT_MODEL,
  videoCommand,
  videoRequest,
} from './video.ts';
export { settingsEdits, videoAdminCommand } from './video-admin.ts';
export { videoQueueCommand } from './video-queue.ts';
export { scheduleCommand, videoScheduleCommand } from './video-schedule.ts';
