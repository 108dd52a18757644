//! The curve as a PNG: the worker's SVG drawn on a canvas under a caption that says
//! what was swept and how, so a picture pasted into slides still says what it shows.
//!
//! An SVG drawn as an image sees none of the page's fonts: the Chinese glyphs the page
//! ships (static/fonts) are embedded into it as a data URL when the chart speaks
//! Chinese, or every Chinese label would be a row of boxes on a machine without a
//! Chinese font (this one has none).

use crate::view::fonts::FONT_STACK;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlCanvasElement, HtmlImageElement, Response, Url};

/// The subset of Chinese glyphs the page ships.
const CHINESE_FONT: &str = "fonts/loadlab-sc.woff2";
/// Pixels of the picture per pixel of the chart on screen: sharp on a projector.
const SCALE: f64 = 2.0;

/// The PNG (a data URL) of `svg` (sized `width` × `height` CSS pixels) under `caption`,
/// with the Chinese glyphs embedded when `chinese`.
pub async fn png(
    svg: &str,
    (width, height): (f64, f64),
    caption: &[String],
    chinese: bool,
) -> Result<String, String> {
    let font = if chinese {
        font_face().await?
    } else {
        String::new()
    };
    let style = format!("<style>{font}text{{font-family:{FONT_STACK}}}</style>");
    // The style goes first inside the root element.
    let at = svg.find('>').ok_or("not an SVG")? + 1;
    let standalone = format!("{}{style}{}", &svg[..at], &svg[at..]);
    let image = image(&standalone).await?;
    let document = gloo_utils::document();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    canvas.set_width((width * SCALE) as u32);
    canvas.set_height((height * SCALE) as u32);
    let ctx = crate::view::context(&canvas).ok_or("no 2D context")?;
    ctx.draw_image_with_html_image_element_and_dw_and_dh(
        &image,
        0.0,
        0.0,
        width * SCALE,
        height * SCALE,
    )
    .map_err(|e| format!("{e:?}"))?;
    crate::keep::charts_png(&[canvas], 1, caption).ok_or_else(|| "no PNG".to_string())
}

/// An `@font-face` rule of the page's Chinese glyphs, as a data URL.
async fn font_face() -> Result<String, String> {
    let why = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let response: Response = JsFuture::from(gloo_utils::window().fetch_with_str(CHINESE_FONT))
        .await
        .map_err(why)?
        .unchecked_into();
    let buffer = JsFuture::from(response.array_buffer().map_err(why)?)
        .await
        .map_err(why)?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    // `btoa` takes a string of code points 0–255, one per byte.
    let binary: String = bytes.iter().map(|&b| char::from(b)).collect();
    let base64 = gloo_utils::window().btoa(&binary).map_err(why)?;
    Ok(format!(
        "@font-face{{font-family:\"Loadlab SC\";src:url(data:font/woff2;base64,{base64}) format(\"woff2\")}}"
    ))
}

/// `svg` loaded as an image, decoded.
async fn image(svg: &str) -> Result<HtmlImageElement, String> {
    let why = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let options = BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let blob =
        Blob::new_with_str_sequence_and_options(&Array::of1(&svg.into()), &options).map_err(why)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(why)?;
    let image = HtmlImageElement::new().map_err(why)?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    let _ = Url::revoke_object_url(&url);
    decoded.map_err(why)?;
    Ok(image)
}
