import * as v from 'valibot';

/** Every problem valibot finds in `input`, each with its dotted path: `[{field: 'params.fields', message}]`. */
export function issuesOf(schema: v.GenericSchema, input: unknown): { field: string; message: string }[] {
  const result = v.safeParse(schema, input, { abortEarly: false });
  if (result.success) return [];
  return result.issues.map((issue) => ({
    field: issue.path?.map((item) => String(item.key)).join('.') ?? '',
    message: issue.message,
  }));
}
