import { SlackApiError } from '../api-error.ts';
import { type ApiContext, jsonArg, type Method, type MethodCall, stringArg, teamOf } from '../method.ts';
import type { ExecutionRecord } from '../state.ts';

/**
 * functions.completeSuccess and functions.completeError end a workflow step, once: a second completion
 * answers `function_execution_not_found` (as the method docs show for a completed execution), and the
 * step's `xwfp-` token is revoked, so a later call with it answers `token_revoked`. A workflow token may
 * only complete its own execution.
 */
export function functionMethods(context: ApiContext): Record<string, Method> {
  const { state } = context;
  const running = (call: MethodCall): ExecutionRecord => {
    const team = teamOf(call);
    const id = stringArg(call.args, 'function_execution_id');
    const execution = id === undefined ? undefined : state.executions.get(id);
    if (!execution || execution.teamId !== team.id || execution.completed) {
      throw new SlackApiError('function_execution_not_found');
    }
    if (call.caller?.kind === 'workflow' && call.caller.execution !== execution) {
      throw new SlackApiError('access_denied');
    }
    return execution;
  };
  const tokenKind = (call: MethodCall) => (call.caller?.kind === 'workflow' ? 'workflow' : 'bot');

  return {
    'functions.completeSuccess': {
      auth: 'bot',
      handle(call) {
        const execution = running(call);
        const outputs = jsonArg(call.args, 'outputs');
        if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) {
          throw new SlackApiError('invalid_arguments');
        }
        execution.completed = 'success';
        state.completions.push({
          executionId: execution.id,
          kind: 'success',
          outputs: outputs as Record<string, unknown>,
          tokenKind: tokenKind(call),
        });
        return {};
      },
    },
    'functions.completeError': {
      auth: 'bot',
      handle(call) {
        const execution = running(call);
        const error = stringArg(call.args, 'error');
        if (error === undefined) throw new SlackApiError('invalid_arguments');
        execution.completed = 'error';
        state.completions.push({
          executionId: execution.id,
          kind: 'error',
          error,
          tokenKind: tokenKind(call),
        });
        return {};
      },
    },
  };
}
