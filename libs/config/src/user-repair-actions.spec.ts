import { AppConfig } from './app-config';
import { ConfigValidationError, validateEnvironment } from './environment';

describe('SYNC_USER_REPAIR_ACTIONS', () => {
  const problemsOf = (value: string) => {
    try {
      validateEnvironment({ SYNC_USER_REPAIR_ACTIONS: value });
      return [];
    } catch (error) {
      return (error as ConfigValidationError).problems;
    }
  };

  it('defaults to reembed', () => {
    expect(new AppConfig(validateEnvironment({})).sync.userRepairActions).toEqual(['reembed']);
  });

  it('takes a comma list of non-destructive actions, and empty for none', () => {
    expect(new AppConfig(validateEnvironment({ SYNC_USER_REPAIR_ACTIONS: ' reembed, fix_size ,restore_object' })).sync.userRepairActions).toEqual([
      'reembed',
      'fix_size',
      'restore_object',
    ]);
    expect(new AppConfig(validateEnvironment({ SYNC_USER_REPAIR_ACTIONS: '' })).sync.userRepairActions).toEqual([]);
  });

  it.each(['delete_vectors', 'quarantine_object', 'finish_deletion'])('refuses the destructive %s, naming the variable', (action) => {
    expect(problemsOf(`reembed,${action}`)).toEqual([`SYNC_USER_REPAIR_ACTIONS: ${action} is destructive; user tokens never ask for destructive repairs`]);
  });

  it('refuses an unknown action, naming it', () => {
    expect(problemsOf('reembed,rebuild')[0]).toMatch(/^SYNC_USER_REPAIR_ACTIONS: unknown action "rebuild"/);
  });
});
