// Modules used without type declarations of their own.
declare module 'ajv-i18n/localize/en/index.js' {
  const localize: (errors: unknown[]) => void;
  export default localize;
}
declare module 'ajv-formats/dist/formats.js' {
  export const fullFormats: Record<string, any>;
}
