import { once } from '../../core/once.js';
import { doctor, type DoctorCheck, type DoctorOptions } from '../../commands/doctor.js';
import type { Io } from '../io.js';
import { DEFAULT_KEY } from '../../secrets/document.js';
import { renderDoctor } from '../render/doctor.js';
import { liveClients } from './check-policy.js';
import { resolveForCommand } from './context.js';
import type { Handler } from './types.js';

export const handle: Handler = async (positional, options, io) => {
  const doctorOptions = normaliseDoctorOptions(positional, options);
  const { context, aws, template } = await resolveForCommand(io, { samCommands: ['deploy'], template: doctorOptions.templatePath });
  const clients = once(() => liveClients(aws));
  const result = await doctor(doctorOptions, {
    context,
    region: context.region.value,
    template,
    parameterOverrides: context.parameterOverrides.values,
    samconfigStackName: context.stackName?.value,
    clients,
    reporter: io.reporter,
    sts: once(async () => (await import('../../aws/sts.js')).createStsApi(aws)),
    secretsIn: async (region) => (await import('../../aws/secrets-manager.js')).createSecretsStore({ ...aws, region }),
    invokeCompare: doctorOptions.invoke
      ? async (functionName) => (await import('./invoke.js')).runInvoke(
        { mode: 'compare', functionId: functionName, stackName: doctorOptions.stackName, templatePath: doctorOptions.templatePath, secretId: doctorOptions.secretId, asDeployedRole: false, redact: true },
        '{}',
        io,
        // The comparison's own samconfig tables, beside doctor's template: one template location per run.
        await resolveForCommand(io, { samCommands: ['local_invoke', 'remote_invoke', 'deploy'], template: doctorOptions.templatePath, purpose: 'run' }),
      )
      : undefined,
  });
  return { result, human: (style) => renderDoctor(result, style) };
};

export function normaliseDoctorOptions(positional: string[], options: Record<string, unknown>): DoctorOptions {
  return {
    functionName: positional[0] ?? (options.function as string | undefined),
    secretId: options.secretId as string | undefined,
    templatePath: options.template as string | undefined,
    stackName: options.stackName as string | undefined,
    key: (options.key as string | undefined) ?? DEFAULT_KEY,
    invoke: Boolean(options.invoke),
  };
}

