/**
 * `tributary/testing`: test a connector against the real engine, through the HTTP API an
 * application uses. See docs/connectors.md ("Testing a connector") and
 * examples/connector-template for a complete suite.
 */
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
