package kitchensink

// LiveHandles is the number of live handles (own and borrow, blob and
// counter) in the instance's handle table, for leak checks in tests.
func LiveHandles(in *KitchenSinkInstance) int { return in.handles.Len() }
