//! Pagination of listings: which items a page shows and which pages its paginator links to.
//!
//! Takes a listing's length and a page number; gives the page's items and a
//! [`PaginatorView`] whose URLs come from [`routes::paged`]. Invariant: a paginator links
//! to a bounded number of pages (see [`linked_pages`]), so listing pages stay small and the
//! cost of a site grows linearly with its size (issue 5).

use super::Renderer;
use super::view::{PageLink, PaginatorView};
use crate::model::EntityId;
use crate::routes::{self, page_count};

/// A paginator lists every page up to this many pages; beyond, the first, the last and
/// [`PAGINATION_WINDOW`] pages either side of the current one.
pub const PAGINATION_ALL_UP_TO: usize = 10;
/// Pages listed either side of the current page by a long paginator.
pub const PAGINATION_WINDOW: usize = 3;

/// The items of page `n` (1-based) of a listing.
pub(super) fn page_items(ids: &[EntityId], n: usize, per_page: usize) -> &[EntityId] {
    let per = per_page.max(1);
    let start = n.saturating_sub(1).saturating_mul(per).min(ids.len());
    &ids[start..(start + per).min(ids.len())]
}

/// The page numbers a paginator links to from page `current` of `total`: all of them up
/// to [`PAGINATION_ALL_UP_TO`] pages, otherwise the first, the last and
/// [`PAGINATION_WINDOW`] either side of the current one, so that the paginators of a
/// listing cost linear rather than quadratic time and space (issue 5).
fn linked_pages(current: usize, total: usize) -> Vec<usize> {
    if total <= PAGINATION_ALL_UP_TO {
        return (1..=total).collect();
    }
    let low = current.saturating_sub(PAGINATION_WINDOW).max(1);
    let high = (current + PAGINATION_WINDOW).min(total);
    let mut numbers = Vec::with_capacity(2 * PAGINATION_WINDOW + 5);
    for k in std::iter::once(1)
        .chain(low..=high)
        .chain(std::iter::once(total))
    {
        match numbers.last() {
            Some(&last) if k <= last => continue,
            // A gap of one page is shown as that page rather than as an ellipsis.
            Some(&last) if k == last + 2 => numbers.push(last + 1),
            _ => {}
        }
        numbers.push(k);
    }
    numbers
}

impl Renderer<'_> {
    /// The paginator of page `n` of a listing at `base` (`incidents/`) of `total_items`.
    pub(super) fn paginator(&self, base: &str, n: usize, total_items: usize) -> PaginatorView {
        self.paginate(base, n, total_items, self.routes.paginate_by())
    }

    /// The paginator of page `n` of a listing at `base` with `per_page` items a page.
    pub(super) fn paginate(
        &self,
        base: &str,
        n: usize,
        total_items: usize,
        per_page: usize,
    ) -> PaginatorView {
        let total_pages = page_count(total_items, per_page);
        let numbers = linked_pages(n, total_pages);
        let mut previous = 0;
        let pages = numbers
            .into_iter()
            .map(|k| {
                let gap = k > previous + 1;
                previous = k;
                PageLink {
                    number: k,
                    url: self.url(&routes::paged(base, k)),
                    current: k == n,
                    gap,
                }
            })
            .collect();
        PaginatorView {
            current: n,
            total_pages,
            total_items,
            prev_url: (n > 1).then(|| self.url(&routes::paged(base, n - 1))),
            next_url: (n < total_pages).then(|| self.url(&routes::paged(base, n + 1))),
            pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_listings_link_every_page() {
        assert_eq!(linked_pages(1, 1), [1]);
        assert_eq!(
            linked_pages(4, PAGINATION_ALL_UP_TO),
            (1..=10).collect::<Vec<_>>()
        );
    }

    #[test]
    fn long_listings_link_a_window_the_first_and_the_last() {
        assert_eq!(linked_pages(1, 1500), [1, 2, 3, 4, 1500]);
        assert_eq!(
            linked_pages(750, 1500),
            [1, 747, 748, 749, 750, 751, 752, 753, 1500]
        );
        assert_eq!(linked_pages(1500, 1500), [1, 1497, 1498, 1499, 1500]);
        // A gap of a single page shows that page.
        assert_eq!(linked_pages(5, 20), [1, 2, 3, 4, 5, 6, 7, 8, 20]);
        assert_eq!(linked_pages(16, 20), [1, 13, 14, 15, 16, 17, 18, 19, 20]);
    }

    #[test]
    fn page_items_slice_the_listing() {
        let ids: Vec<EntityId> = (0..45).map(EntityId).collect();
        assert_eq!(page_items(&ids, 1, 20).len(), 20);
        assert_eq!(page_items(&ids, 3, 20), &ids[40..]);
        assert!(page_items(&ids, 4, 20).is_empty());
    }
}
