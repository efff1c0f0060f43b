// Placeholder: the real handler is being written (SES receipt event → receive-mail use case).
import type { SESEvent } from 'aws-lambda';
export const handler = async (_event: SESEvent): Promise<void> => {};
