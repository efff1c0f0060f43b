/** `cdk` entry (cdk.json "app"). Context keys: infra/README.md. */
import { App } from 'aws-cdk-lib';
import { ContextError } from './context.js';
import { buildOtaApp } from './ota-app.js';

const app = new App();
try {
  buildOtaApp(app);
} catch (e) {
  // A bad context value is the operator's to fix: say which, without a stack trace.
  if (!(e instanceof ContextError)) throw e;
  console.error(`Error: ${e.message}`);
  process.exit(1);
}
app.synth();
