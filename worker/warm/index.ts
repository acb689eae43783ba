export { startWarming, type WarmingOptions, type WarmingWorker } from './start-warming.ts';
export { WarmLoop, type WarmLoopOptions, type WarmRenderResult } from './warm-loop.ts';
export { type WarmClipPlan, type WarmPlanDeps, WarmPlanner } from './warm-plan.ts';
export { renderWarmClip, type WarmRenderDeps } from './warm-render.ts';
