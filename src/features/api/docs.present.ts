/** Turns the OpenAPI document into plain rows for the server-rendered /api/docs page. */

type Json = Record<string, unknown>;

interface ParamRow {
  name: string;
  in: string;
  required: boolean;
  description: string;
  type: string;
}

interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

function typeOf(schema: Json | undefined): string {
  if (!schema) return '';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop() ?? '';
  const t = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? '');
  if (t === 'array') return `${typeOf(schema.items as Json)}[]`;
  if (Array.isArray(schema.enum)) return `${t}: ${(schema.enum as unknown[]).join(', ')}`;
  return t;
}

export function presentOpenApi(doc: Json) {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const operations = Object.entries(paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      id: String(op.operationId ?? `${method}-${path}`),
      method: method.toUpperCase(),
      path,
      summary: String(op.summary ?? ''),
      description: String(op.description ?? ''),
      parameters: ((op.parameters as Json[] | undefined) ?? []).map(
        (p): ParamRow => ({
          name: String(p.name),
          in: String(p.in),
          required: Boolean(p.required),
          description: String(p.description ?? ''),
          type: typeOf(p.schema as Json),
        }),
      ),
      responses: Object.entries(op.responses as Record<string, Json>).map(([status, r]) => ({ status, description: String(r.description ?? '') })),
    })),
  );
  const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
  const models = Object.entries(schemas).map(([name, s]) => {
    const required = new Set((s.required as string[] | undefined) ?? []);
    const props = (s.properties as Record<string, Json> | undefined) ?? {};
    return {
      name,
      description: String(s.description ?? ''),
      fields: Object.entries(props).map(
        ([field, fs]): FieldRow => ({ name: field, type: typeOf(fs), required: required.has(field), description: String(fs.description ?? '') }),
      ),
    };
  });
  const info = doc.info as Json;
  return { info: { title: String(info.title), version: String(info.version), description: String(info.description ?? '') }, operations, models };
}
