// The floor pmc is measured against: the YAML library itself parsing a whole stream and
// printing it again, with nothing else.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const text = readFileSync(process.argv[2], 'utf8');
process.stdout.write(parseAllDocuments(text).map((d) => d.toString()).join(''));
