/**
 * The lite protobuf runtime the service worker is built with (see
 * `src/vite/protobuf-lite.ts`): protobuf-es's message API over descriptors
 * read without protobuf-es's descriptor runtime.
 */
export { enumDesc, fileDesc, messageDesc, serviceDesc, ProtobufLiteUnsupportedError } from "./descriptors.js";
export { clone, create, equals, isMessage } from "./messages.js";
export { fromBinary, mergeFromBinary, toBinary } from "./binary.js";
