// The error a promise rejects with; a test fails when it resolves instead.
import assert from 'node:assert/strict';

export const rejection = async (promise) => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
};
