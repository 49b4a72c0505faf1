// Copy buttons for the attach snippets (libvirt XML, CUDA_VISIBLE_DEVICES). Delegated from the document, so the
// buttons in the slice list keep working after htmx swaps the list in again.
document.documentElement.classList.add('js');
document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy]');
    if (!button) {
        return;
    }
    var source = document.querySelector(button.getAttribute('data-copy'));
    if (!source) {
        return;
    }
    var text = source.textContent;
    var done = function () {
        var label = button.textContent;
        button.textContent = button.getAttribute('data-copied') || label;
        setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done);
        return;
    }
    // Plain http on a LAN: the Clipboard API is missing there; select the text and use the older command.
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    if (document.execCommand('copy')) {
        done();
    }
});

// A poll that ends on the login page (the session expired) must not put that page inside the slice list:
// load it as the page instead.
document.addEventListener('htmx:beforeSwap', function (event) {
    var url = event.detail.xhr && event.detail.xhr.responseURL;
    if (url && /\/login$/.test(new URL(url).pathname)) {
        event.detail.shouldSwap = false;
        window.location.href = url;
    }
});

// Sizes from the markup's data attributes (data-columns on a grid, data-span on its cells): the
// Content-Security-Policy forbids style attributes, while styles set from a script are allowed.
function applySizes(root) {
    root.querySelectorAll('[data-columns]').forEach(function (grid) {
        grid.style.gridTemplateColumns = 'repeat(' + Number(grid.getAttribute('data-columns')) + ', 1fr)';
    });
    root.querySelectorAll('[data-span]').forEach(function (cell) {
        cell.style.gridColumn = 'span ' + Number(cell.getAttribute('data-span'));
    });
}
applySizes(document);
document.addEventListener('htmx:load', function (event) {
    applySizes(event.target.parentNode || document);
});

// Forms whose answer is shown only once (a new token): a double click would send them twice, and the page then shows
// the second answer ("changed since you loaded this page", or a second token) while the first token is lost.
document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.hasAttribute('data-submit-once')) {
        return;
    }
    if (form.hasAttribute('data-submitted')) {
        event.preventDefault();
        return;
    }
    form.setAttribute('data-submitted', '');
});
// Back to a page kept in the browser's cache: its forms may be sent again.
window.addEventListener('pageshow', function (event) {
    if (event.persisted) {
        document.querySelectorAll('form[data-submitted]').forEach(function (form) {
            form.removeAttribute('data-submitted');
        });
    }
});
