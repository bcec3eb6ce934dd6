import { prepareTemplate } from './template-database.ts';

export default async function setup() {
  await prepareTemplate();
}
