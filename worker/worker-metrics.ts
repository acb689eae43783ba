import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the worker can say of a model that runs in a process of its own. */
export interface ModelProcessState {
  up: boolean;
  restarts: number;
}

/** The worker's Prometheus metrics, in their own registry. */
export function createWorkerMetrics(provider: string, model: string, modelProcess?: () => ModelProcessState) {
  const registry = new Registry();
  const runSeconds = new Histogram({
    name: 'clipbot_job_run_seconds',
    help: 'Time from job start to stored MP4, per tier',
    labelNames: ['tier'],
    buckets: [0.5, 1, 2, 5, 10, 20, 40, 80],
    registers: [registry],
  });
  const waitSeconds = new Histogram({
    name: 'clipbot_job_wait_seconds',
    help: 'Time a job waited in the queue before a worker took it',
    buckets: [0.1, 1, 5, 15, 60, 300, 900],
    registers: [registry],
  });
  const completed = new Counter({
    name: 'clipbot_jobs_completed_total',
    help: 'Clips finished',
    registers: [registry],
  });
  const failed = new Counter({
    name: 'clipbot_jobs_failed_total',
    help: 'Job attempts that failed, by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: 'clipbot_tier_fallbacks_total',
    help: 'Clips rendered below the asked tier',
    labelNames: ['from', 'to'],
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'clipbot_queue_waiting',
    help: 'Jobs waiting in the generate queue',
    registers: [registry],
  });
  const warmRenders = new Counter({
    name: 'clipbot_warm_renders_total',
    help: 'Warm clips rendered ahead while idle, by result: done, gave-way (a job arrived) or failed',
    labelNames: ['result'],
    registers: [registry],
  });
  new Gauge({
    name: 'clipbot_execution_provider_info',
    help: 'The onnxruntime execution provider in use',
    labelNames: ['provider', 'model'],
    registers: [registry],
  }).set({ provider, model }, 1);
  if (modelProcess) {
    new Gauge({
      name: 'clipbot_model_process_up',
      help: "1 while the model's process runs, 0 while it is being started again",
      registers: [registry],
      collect() {
        this.set(modelProcess().up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'clipbot_model_process_restarts',
      help: "Times the model's process died unasked and was started again, since the worker started",
      registers: [registry],
      collect() {
        this.set(modelProcess().restarts);
      },
    });
  }
  return { registry, runSeconds, waitSeconds, completed, failed, fallbacks, queueDepth, warmRenders };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
