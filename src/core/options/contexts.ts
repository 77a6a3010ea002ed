/**
 * What an option's checks are given (the registry's `check`, `checkLevel`, `guard`, `levels`):
 * below the rules and the registry, which both speak of them.
 */
import type { DiagnosticSink, Location } from '../base/diagnostics.js';
import type { IStatefulSet } from '../base/k8s.js';
import type { CustomizerKind } from './customizers.js';

/** What an option's check is given: where each part of the value was set, the sink, the StatefulSet. */
export interface CheckContext {
  /** Where a part of this option was given: the JSON path in the options that set it. */
  at: (sub: (string | number)[]) => Location;
  sink: DiagnosticSink;
  /** The StatefulSet the options are for, as it was before customizing. */
  workload?: IStatefulSet;
}

export interface LevelsContext {
  customizer: CustomizerKind;
  sink: DiagnosticSink;
  /** A part of the option in the worker's runtimeCustomizerConfig, and in the function's customRuntimeOptions. */
  workerAt: (sub: (string | number)[]) => Location;
  fnAt: (sub: (string | number)[]) => Location;
}
