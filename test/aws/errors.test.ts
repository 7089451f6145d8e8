/** SDK failures as our error codes, by the error's name; credential problems get a hint about the credentials. */
import { awsErrorCode, CREDENTIALS_HINT, toIdcCmkError } from '../../aws/errors';

const sdkError = (name: string, message = 'm'): Error => Object.assign(new Error(message), { name });

test.each([
  ['AccessDeniedException', 'AWS_ACCESS_DENIED'],
  ['NotFoundException', 'AWS_NOT_FOUND'],
  ['NotFound', 'AWS_ERROR'],
  ['ThrottlingException', 'AWS_THROTTLED'],
  ['AbortError', 'AWS_TIMEOUT'],
  ['KMSInternalException', 'AWS_ERROR'],
])('%s -> %s', (name, code) => {
  expect(awsErrorCode(sdkError(name))).toBe(code);
});

test('no credentials, or credentials AWS does not accept: the hint is about the credentials, not the resource', () => {
  for (const name of ['CredentialsProviderError', 'InvalidSignatureException', 'UnrecognizedClientException', 'ExpiredTokenException']) {
    const e = toIdcCmkError('sso-admin:DescribeInstance', sdkError(name, 'Could not load credentials from any providers'), 'check that the instance exists');
    expect(e.code).toBe('AWS_ACCESS_DENIED');
    expect(e.hint).toBe(CREDENTIALS_HINT);
  }
  expect(toIdcCmkError('sso-admin:DescribeInstance', sdkError('AccessDeniedException'), 'check that the instance exists').hint).toBe('check that the instance exists');
});
