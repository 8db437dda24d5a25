// The single DeskApi instance the stores use.
import { createDeskApi } from './client';

export const deskApi = createDeskApi();
