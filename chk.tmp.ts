import { loadActionCatalog } from './src/io/catalog';
import { lintPolicy } from './src/core/lint';
const c = loadActionCatalog();
const acts = ['s3:GetObject','s3:PutObject','dynamodb:GetItem','sqs:SendMessage','lambda:InvokeFunction','kms:Decrypt'];
const st = Array.from({length: Number(process.argv[2] ?? 10000)}, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: [acts[i % 6], acts[(i+1)%6]], Resource: `arn:aws:s3:::bucket-${i}/*` }));
const t = Date.now();
const f = lintPolicy({ Version: '2012-10-17', Statement: st }, { type: 'resource' === process.argv[3] ? 'resource' : 'identity', catalog: c });
console.log(Date.now() - t, 'ms', f.length);
