// Runs the suite when the template is used on its own (`npm test` in this folder). Inside the
// Tributary repository, test/connector-template.test.ts runs the same suite from the root.
import { describeTemplateConnector } from './my-bank.spec.ts'

describeTemplateConnector()
