// placeholder: replaced by the oracle branch at merge
// (the oracle helper checks an input against botocore's service model: required members, enums,
// min/max, patterns). Until then nothing is reported, so nothing here may be read as "checked".
export interface Violation {
  path: string;
  rule: string;
  message: string;
}

export function checkInput(
  service: 's3' | 's3control' | 'kms' | 'sts',
  operation: string,
  input: unknown,
): Violation[] {
  void service;
  void operation;
  void input;
  return [];
}
