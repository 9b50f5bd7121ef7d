// Any replica of the console may carry a circuit (its component state is protected by the key ring they share), but a
// circuit lives in one process: negotiating first and connecting after could reach two replicas. So the circuit's
// WebSocket opens in one request, to whichever replica answers it.
Blazor.start({
  circuit: {
    configureSignalR: (builder) => builder.withUrl('_blazor', { skipNegotiation: true, transport: 1 /* WebSockets */ }),
  },
});
