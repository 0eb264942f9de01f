// The HTML frame every locale's emails share: a column, paragraphs, one button carrying the link.
export const paragraph = (text: string) => `<p style="margin:0 0 16px">${text}</p>`;
export const button = (label: string) =>
  `<p style="margin:0 0 16px"><a href="{{link}}" style="display:inline-block;padding:10px 16px;background:#4945ff;color:#ffffff;text-decoration:none;border-radius:4px">${label}</a></p>`;
export const layout = (body: string) =>
  `<div style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#32324d;max-width:560px">${body}</div>`;
