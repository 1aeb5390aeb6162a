// `earshot://customer/<id>`: the desktop's `openCustomer` event, arriving over the real web bridge
// (a WebSocket on 127.0.0.1, contract-checked), opens that customer's profile looked up by id.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { Provider } from 'react-redux';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocketClient, { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import type { DesktopApiMethod } from '../../../shared/api/index';
import { BridgeRequest } from '../../../shared/api/web-bridge';
import { App } from '../../app/App';
import { createAppStore } from '../../app/store';
import { withContractCheck } from '../../contract-check';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { CUSTOMER_ID, makeCustomer, makeHistoryItem, makePop } from '../../test-support/fixtures';
import { createWebBridge, type WebBridge } from '../../web-bridge-client';

let server: WebSocketServer;
let sockets: ServerSocket[];
let desktop: FakeDesktopApi;
let bridge: WebBridge | null;
let stopApp: (() => void) | null;

beforeEach(async () => {
  sockets = [];
  bridge = null;
  stopApp = null;
  desktop = new FakeDesktopApi();
  // The web host's side of the bridge: answers invokes like the desktop, and pushes events.
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => {
      const req = BridgeRequest.parse(JSON.parse(String(data)));
      void (desktop.invoke as (m: DesktopApiMethod, ...a: unknown[]) => Promise<unknown>)(req.method as DesktopApiMethod, ...req.args).then((response) =>
        socket.send(JSON.stringify({ type: 'result', id: req.id, response })),
      );
    });
  });
});

afterEach(async () => {
  cleanup();
  stopApp?.();
  bridge?.close();
  for (const s of sockets) s.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function renderOverBridge() {
  const { port } = server.address() as { port: number };
  bridge = createWebBridge({ url: `ws://127.0.0.1:${port}/api`, WebSocketImpl: WebSocketClient as unknown as typeof WebSocket });
  const app = createAppStore(withContractCheck(bridge), { locale: 'en' });
  stopApp = app.stop;
  render(
    <Provider store={app.store}>
      <App />
    </Provider>,
  );
}

/** What the shell does for a link: an event on the bridge. */
function sendLink(payload: unknown) {
  for (const socket of sockets) socket.send(JSON.stringify({ type: 'event', event: 'openCustomer', payload }));
}

describe('deep link to a customer', () => {
  it('opens the linked customer’s profile and history, looked up by id', async () => {
    desktop.pops.set('+821012345678', makePop({ history: [makeHistoryItem({ channel: 'visit', agent: 'agent5' })] }));
    renderOverBridge();
    await screen.findByTestId('waiting-for-call');
    sendLink({ customerId: CUSTOMER_ID });

    const view = await screen.findByTestId('customer-view');
    await waitFor(() => expect(within(view).getByTestId('customer-name').textContent).toBe('Lee Minji'));
    expect(within(view).getByTestId('history-item').textContent).toMatch(/Visit.*agent5/);
    expect(desktop.callsOf('lookupCustomer')).toEqual([[{ customerId: CUSTOMER_ID }]]);
  });

  it('says so when neither this computer nor the center knows the customer', async () => {
    desktop.pops.set('+821012345678', makePop({ customer: makeCustomer() }));
    renderOverBridge();
    await screen.findByTestId('waiting-for-call');
    const unknown = '0f0e0d0c-0b0a-4908-8706-050403020100';
    sendLink({ customerId: unknown });
    const view = await screen.findByTestId('customer-view');
    expect(await within(view).findByText(/no longer in the records/)).toBeTruthy();
    expect(desktop.callsOf('lookupCustomer')).toEqual([[{ customerId: unknown }]]);
  });

  it('ignores a link whose payload breaks the contract (not an id)', async () => {
    desktop.pops.set('+821012345678', makePop());
    renderOverBridge();
    await screen.findByTestId('waiting-for-call');
    sendLink({ customerId: '../../etc/passwd' });
    sendLink({ customerId: CUSTOMER_ID, extra: 'x'.repeat(10) });
    // The second, valid one still opens (extra keys are stripped by the contract); the first did nothing.
    const view = await screen.findByTestId('customer-view');
    await waitFor(() => expect(within(view).getByTestId('customer-name').textContent).toBe('Lee Minji'));
    expect(desktop.callsOf('lookupCustomer')).toEqual([[{ customerId: CUSTOMER_ID }]]);
  });
});
