/**
 * `pmc render` as a request: what the worker would create for a pulsar-admin config
 * (render/), then customized as any stream is (run.ts), Pulsar's own objects linted where
 * customize did not touch them.
 */
import { DiagnosticSink, type Diagnostic } from '../base/diagnostics.js';
import type { Obj } from '../base/values.js';
import { lintInstances } from '../options/validate.js';
import type { CustomizeSettings } from '../customize/settings.js';
import type { OutputFormat } from '../customize/formats.js';
import type { PssPolicy } from '../checks/pss.js';
import { render, renderYaml, type RenderInput } from '../render/render.js';
import { customizeRequest, strictFlag, type CustomizeOutcome } from './run.js';

/** The rendered stream's name in messages about it. */
export const RENDERED = '<rendered>';

export interface RenderRequest {
  render: RenderInput;
  settings: CustomizeSettings;
  /** Warnings met while reading the inputs. */
  earlier?: Diagnostic[];
  output?: OutputFormat;
  checkPss?: PssPolicy;
}

export function renderRequest(req: RenderRequest): CustomizeOutcome {
  const rendered = render(req.render);
  const input = { ...req.settings, manifest: renderYaml(rendered.objects), source: RENDERED };
  return customizeRequest({
    input,
    earlier: [...(req.earlier ?? []), ...rendered.diagnostics],
    checkPss: req.checkPss,
    output: req.output,
    policy: strictFlag(req.settings.strict),
    lint: (result) => {
      // What customize did not check (it checks what it changes): Pulsar's own StatefulSet.
      const lint = new DiagnosticSink();
      if (req.settings.validate && !result.changes.some((c) => c.kind === 'StatefulSet')) {
        lintInstances(rendered.objects[1] as Obj, { source: RENDERED, document: { index: 1, kind: 'StatefulSet', name: rendered.jobName } }, lint);
      }
      return lint.warnings;
    },
  });
}
