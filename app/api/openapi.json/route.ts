import { methods } from '@/lib/http/methods';
import { openApiDocument } from '@/lib/http/openapi';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/openapi.json', {
  GET: (route) => route.withoutSession().handle(async () => ({
    status: 200,
    body: JSON.stringify(openApiDocument()),
    contentType: 'application/json; charset=utf-8',
  })),
});
