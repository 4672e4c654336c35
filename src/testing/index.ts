/**
 * `tributary/testing`: `startTributary()` starts an engine in the test's process for an
 * application's tests (docs/testing.md, examples/pluggy-app); the connector test kit tests a
 * connector against the real engine, through the HTTP API an application uses (docs/connectors.md,
 * "Testing a connector", and examples/connector-template).
 */
export { startTributary, type FixtureClock, type StartTributaryOptions, type TributaryFixture } from './start-tributary.ts'
export {
  KitRequestError,
  expectTimeline,
  fullTimeline,
  startConnectorTestKit,
  timelineOf,
  type ConnectOptions,
  type ConnectorTestKit,
  type ConnectorTestKitOptions,
  type KitAccount,
  type KitExecution,
  type KitExecutionStep,
  type KitItem,
  type KitLogLine,
  type KitReply,
  type KitTransaction,
  type ProductStatusDetail,
  type StatusDetailKey,
  type WaitOptions,
} from './connector-test-kit.ts'
