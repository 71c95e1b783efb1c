export type * from './organization';
