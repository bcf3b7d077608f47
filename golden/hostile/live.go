package hostile

// LiveHandles is the number of live handles in the instance's handle
// table, for leak checks in tests.
func LiveHandles(in *HostileInstance) int { return in.handles.Len() }
