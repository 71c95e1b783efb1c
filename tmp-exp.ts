import { loadOrganization } from './src/config';
try { loadOrganization(process.argv[2]); console.log('LOADED'); } catch (e) { console.log(JSON.stringify((e as {problems:unknown}).problems, null, 2)); }
