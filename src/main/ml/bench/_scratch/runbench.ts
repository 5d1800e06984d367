import { benchMain } from '../benchmark';
benchMain(process.argv.slice(2)).then((c) => process.exit(c));
