// The picture chooser beside the prompt box, and its upload. A chosen picture goes with the next
// /video line: it is uploaded to /api/images just before the line is sent, and the line names it
// by the id the bot answers. Whether it is a picture at all is the bot's to say (it reads the file).

/** The bot's limit; a larger file is refused here rather than uploaded only to be refused. */
const MAX_BYTES = 10 * 1024 * 1024;

/** @param {number} bytes */
const megabytes = (bytes) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/**
 * Wires the chooser's elements (index.html) and keeps the chosen file.
 * @param {(text: string) => void} showError shows a problem under the composer ('' clears it)
 */
export function pictureChooser(showError) {
  const fileInput = /** @type {HTMLInputElement} */ (document.getElementById('picture'));
  const chooseButton = /** @type {HTMLButtonElement} */ (document.getElementById('picture-button'));
  const chosen = /** @type {HTMLElement} */ (document.getElementById('attachment'));
  const preview = /** @type {HTMLImageElement} */ (document.getElementById('attachment-preview'));
  const nameLine = /** @type {HTMLElement} */ (document.getElementById('attachment-name'));
  const removeButton = /** @type {HTMLButtonElement} */ (document.getElementById('attachment-remove'));
  /** @type {File | undefined} */
  let file;

  function clear() {
    file = undefined;
    fileInput.value = '';
    chosen.hidden = true;
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.removeAttribute('src');
  }

  /** @param {File} picked shown as chosen, unless it is over the limit (then the error says so) */
  function choose(picked) {
    clear();
    if (picked.size > MAX_BYTES) {
      showError(`That picture is ${megabytes(picked.size)}; the limit is 10 MB.`);
      return;
    }
    file = picked;
    nameLine.textContent = picked.name;
    removeButton.setAttribute('aria-label', `Remove the picture ${picked.name}`);
    preview.hidden = false;
    preview.src = URL.createObjectURL(picked);
    chosen.hidden = false;
  }

  chooseButton.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    const picked = fileInput.files?.[0];
    showError('');
    if (picked) choose(picked);
  });
  // Not a picture the browser can draw: the name alone is shown, and the bot says what is wrong.
  preview.addEventListener('error', () => {
    if (preview.src) preview.hidden = true;
  });
  removeButton.addEventListener('click', () => {
    clear();
    chooseButton.focus();
  });

  return {
    /** The chosen file, if any. */
    get file() {
      return file;
    },
    choose,
    clear,
  };
}

/**
 * Uploads a picture as this tab's session; answers its id, or the problem in words for the user.
 * @param {File} file
 * @param {string} session
 * @returns {Promise<{ imageId: string } | { error: string }>}
 */
export async function uploadPicture(file, session) {
  /** @type {Response} */
  let response;
  try {
    response = await fetch(`/api/images?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'X-Clipbot-Session': session },
      body: file,
    });
  } catch {
    return { error: 'Could not send the picture to the bot. Is it still running?' };
  }
  const data = await response.json().catch(() => ({}));
  if (response.ok && typeof data.imageId === 'string') return { imageId: data.imageId };
  return {
    error:
      typeof data.error === 'string' ? data.error : `The bot answered ${response.status} to the picture.`,
  };
}
