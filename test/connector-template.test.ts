// The connector template (examples/connector-template) is part of the product: its suite runs
// here, from the root config, so a change to the SDK, the engine or the test kit that breaks a
// connector author's code fails CI.
import { describeTemplateConnector } from '../examples/connector-template/test/my-bank.spec.ts'

describeTemplateConnector()
