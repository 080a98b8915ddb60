/**
 * Realistic texts a function leaves behind when it cannot read its secret: the payload and the log
 * lines of a Python 3.12 function using boto3 and of a Node.js 20 function using the JavaScript SDK v3,
 * as Lambda and `sam local invoke` print them. Account 123456789012, secret `openweatherapi`.
 */
export const ROLE_PRINCIPAL = 'arn:aws:sts::123456789012:assumed-role/weather-app-WeatherFunctionRole-1A2B3C4D5E6F/weather-app-WeatherFunction-Xy12Ab34Cd56';
export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openweatherapi-AbC123';

const requestId = 'd6c3a1f0-5b2e-4c8a-9f1e-2a7b8c9d0e1f';
const pythonFrames = [
  '  File "/var/task/app.py", line 14, in lambda_handler\n    response = client.get_secret_value(SecretId=secret_name)\n',
  '  File "/var/lang/lib/python3.12/site-packages/botocore/client.py", line 565, in _api_call\n    return self._make_api_call(operation_name, kwargs)\n',
  '  File "/var/lang/lib/python3.12/site-packages/botocore/client.py", line 1021, in _make_api_call\n    raise error_class(parsed_response, operation_name)\n',
];

/** A boto3 ClientError as the Python runtime reports it: payload JSON and the `[ERROR]` log line. */
export function pythonClientError(code: string, operation: string, message: string) {
  const errorMessage = `An error occurred (${code}) when calling the ${operation} operation: ${message}`;
  const payload = JSON.stringify({ errorMessage, errorType: 'ClientError', requestId, stackTrace: pythonFrames });
  const logs = [
    `START RequestId: ${requestId} Version: $LATEST`,
    `[ERROR] ClientError: ${errorMessage}`,
    'Traceback (most recent call last):',
    ...pythonFrames.map((frame) => frame.trimEnd()),
    `END RequestId: ${requestId}`,
    `REPORT RequestId: ${requestId}\tDuration: 845.32 ms\tBilled Duration: 846 ms\tMemory Size: 128 MB\tMax Memory Used: 78 MB\tInit Duration: 312.45 ms\t`,
  ].join('\n');
  return { payload, logs };
}

/** A JavaScript SDK v3 service exception thrown out of a Node.js 20 handler. */
export function nodeSdkError(name: string, message: string) {
  const trace = [`${name}: ${message}`, '    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:867:20)', '    at async Runtime.handler (file:///var/task/index.mjs:9:20)'];
  const payload = JSON.stringify({ errorType: name, errorMessage: message, trace });
  const logged = JSON.stringify({ errorType: name, errorMessage: message, name, $fault: 'client', $metadata: { httpStatusCode: 400, requestId: 'b1f0c8e2-...', attempts: 1 }, stack: trace });
  const logs = [
    `START RequestId: ${requestId} Version: $LATEST`,
    `2026-11-28T23:10:05.123Z\t${requestId}\tERROR\tInvoke Error \t${logged}`,
    `END RequestId: ${requestId}`,
    `REPORT RequestId: ${requestId}\tDuration: 402.11 ms\tBilled Duration: 403 ms\tMemory Size: 256 MB\tMax Memory Used: 91 MB\t`,
  ].join('\n');
  return { payload, logs };
}

export const deniedBecause = (principal: string, resource: string, tail: string) =>
  `User: ${principal} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${resource} ${tail}`;
