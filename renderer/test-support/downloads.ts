// jsdom has no object URLs: captures what the app hands over as a file download (downloadBlob), by
// the blob its hidden link is made from. `restore()` puts jsdom's own back.
export interface CapturedDownload {
  name: string;
  type: string;
  text: string;
}

export function captureDownloads(): { saved: CapturedDownload[]; restore(): void } {
  const saved: CapturedDownload[] = [];
  const blobs = new Map<string, Blob>();
  const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL, click: HTMLAnchorElement.prototype.click };
  URL.createObjectURL = (b: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, b);
    return url;
  };
  URL.revokeObjectURL = () => {};
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href)!;
    void blob.text().then((text) => saved.push({ name: this.download, type: blob.type, text }));
  };
  return {
    saved,
    restore() {
      URL.createObjectURL = original.create;
      URL.revokeObjectURL = original.revoke;
      HTMLAnchorElement.prototype.click = original.click;
    },
  };
}
