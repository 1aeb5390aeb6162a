// Typed react-redux hooks for the agent view.
import { useDispatch, useSelector } from 'react-redux';
import type { AppDispatch } from './listener';
import type { RootState } from './root-reducer';

export const useAppDispatch = useDispatch.withTypes<AppDispatch>();
export const useAppSelector = useSelector.withTypes<RootState>();
