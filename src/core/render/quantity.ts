/**
 * A Kubernetes quantity in the canonical decimal-SI text the Kubernetes Java client writes
 * (QuantityFormatter): the exact decimal as m × 10^e, trailing zeros of m moved into e, e
 * lowered to a multiple of 3, and the SI suffix for e. `1.0` → `1`, `1.5` → `1500m`,
 * `2000` → `2k`, `0.769` → `769m`, `0.0` → `0m`.
 * https://github.com/kubernetes-client/java/blob/master/kubernetes/src/main/java/io/kubernetes/client/custom/QuantityFormatter.java
 */
const SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };

export function canonicalQuantity(decimal: string): string {
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(decimal);
  if (!m) throw new Error(`not a plain decimal: ${decimal}`);
  const [, sign, whole, fraction = ''] = m;
  let digits = BigInt(whole! + fraction);
  let e = -fraction.length;
  if (digits === 0n) return `${sign}0m`.replace(/^-/, '');
  while (digits % 10n === 0n && digits >= 10n) {
    digits /= 10n;
    e++;
  }
  while (((e % 3) + 3) % 3 !== 0) {
    digits *= 10n;
    e--;
  }
  if (e > 18) {
    digits *= 10n ** BigInt(e - 18);
    e = 18;
  }
  return `${sign}${digits}${SUFFIX[e] ?? ''}`;
}
