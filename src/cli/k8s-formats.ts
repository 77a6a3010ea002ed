/**
 * What kubernetes-models needs of @kubernetes-models/validate for the StatefulSet and
 * Service schemas: the formats they use (and only those), and runValidateFunc. The bundle
 * resolves `@kubernetes-models/validate` here: its full format set pulls in e-mail, URI
 * and IANA-scheme grammars (350 KB) that these schemas never call, and its messages load
 * every language. test/k8s-formats.test.ts checks that this agrees with the library.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';
// English only: the whole of ajv-i18n carries every language.
import localizeEn from 'ajv-i18n/localize/en/index.js';

// As @kubernetes-models/validate defines them (after apimachinery's resource.Quantity).
const rSignedNumber = /[+-]?(?:\d+|\d+\.\d+|\d+\.|\.\d+)/;
const rQuantitySuffix = new RegExp(`(?:[KMGTPE]i|(?:[YZEPTGMkhdcmunpfazy]|da)|[eE]${rSignedNumber.source})?`);

export const formats = {
  'date-time': fullFormats['date-time'],
  int32: fullFormats.int32,
  int64: fullFormats.int64,
  quantity: { type: 'string', validate: new RegExp(`^${rSignedNumber.source}${rQuantitySuffix.source}$`) },
};

interface AjvError {
  instancePath: string;
  message?: string;
}

/** @kubernetes-models/base validates through this; it throws as the library does, in English. */
export function runValidateFunc(fn: ((data: unknown) => boolean) & { errors?: AjvError[] | null }, data: unknown): void {
  if (fn(data) || !fn.errors) return;
  const errors = fn.errors;
  localizeEn(errors);
  throw Object.assign(new Error(errors.map((e) => `data${e.instancePath} ${e.message}`).join(', ')), { name: 'ValidationError', errors });
}
