export const demoPassword = 'cmehub-demo-2026';

export const demoLogins = {
  operator: 'operator@demo.cmehub.org',
  providerAdmin: 'coordinator@demo-provider.org',
  providerStaff: 'staff@demo-provider.org',
  boardAdmin: 'admin@demo-board.org',
  boardStaff: 'staff@demo-board.org',
  certifyingBoardAdmin: 'diplomates@demo-abim.org',
  physician: 'physician@demo.cmehub.org',
} as const;
