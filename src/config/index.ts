export type * from '../core/model';
